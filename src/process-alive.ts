// Whether a process of this machine still runs: the pid in a lock file or a staging name says
// whether what it left behind is still in use.

/** True unless no process has that pid (EPERM: it runs, as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}
