"""Running conda-bazel from a repository rule: finding it, and reading one JSON document from it."""

# .bazelrc.conda pins the Node executable and the CLI script that `conda-bazel init` ran with.
NODE = "CONDA_BAZEL_NODE"
CLI = "CONDA_BAZEL_CLI"

_FAILED = """conda-bazel failed (exit code {code}).
Command: {command}
{stderr}
Check the prefix in .bazelrc.conda, or run `conda-bazel init` again in the workspace root."""

def callout_command(rctx):
    """The command that runs conda-bazel: the Node and script init pinned, else `conda-bazel` on PATH.

    Args:
      rctx: the repository_ctx.

    Returns:
      The command as a list of arguments.
    """
    node = rctx.os.environ.get(NODE, "")
    cli = rctx.os.environ.get(CLI, "")
    if node and cli:
        return [node, cli]
    found = rctx.which("conda-bazel")
    if found:
        return [found]
    fail("Cannot find conda-bazel: .bazelrc.conda pins no {} / {} and conda-bazel is not on PATH. Run `conda-bazel init` in the workspace root.".format(NODE, CLI))

def run_json(rctx, args):
    """Runs `conda-bazel <args> --target T...` (the rule's targets) and decodes what it prints.

    Args:
      rctx: the repository_ctx; its `targets` attribute is passed on.
      args: the subcommand and its arguments, e.g. ["describe", "--json", "--prefix", prefix].

    Returns:
      The decoded JSON document.
    """
    command = callout_command(rctx) + args
    for target in rctx.attr.targets:
        command += ["--target", target]
    result = rctx.execute(command, timeout = 300)
    if result.return_code != 0:
        fail(_FAILED.format(code = result.return_code, command = " ".join(command), stderr = result.stderr))
    return json.decode(result.stdout)
