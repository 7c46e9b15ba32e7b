"""Running conda-bazel from a repository rule: finding it, and reading one JSON document from it."""

# .bazelrc.conda pins the Node executable and the CLI script that `conda-bazel init` ran with.
NODE = "CONDA_BAZEL_NODE"
CLI = "CONDA_BAZEL_CLI"

_FAILED = """conda-bazel failed (exit code {code}).
Command: {command}
{stderr}
Check the prefix in .bazelrc.conda, or run `conda-bazel init` again in the workspace root."""

_NOT_JSON = """conda-bazel printed something that is not a JSON document.
Command: {command}
It printed {size} bytes, beginning: {start}
Check that .bazelrc.conda's {node} / {cli} name Node and conda-bazel's CLI (run `conda-bazel init` again in the workspace root)."""

# How much of an unexpected output the message shows (escaped by repr, so control bytes stay visible).
_SHOWN = 200

def getenv(rctx, name):
    """The value of an environment variable the repository rule depends on, or "".

    Bazel 7.1+ has rctx.getenv, which also records the dependency; older Bazel reads
    rctx.os.environ and relies on the rule's `environ` list.

    Args:
      rctx: the repository_ctx.
      name: the variable's name.

    Returns:
      Its value, "" when unset.
    """
    if hasattr(rctx, "getenv"):
        return rctx.getenv(name, "") or ""
    return rctx.os.environ.get(name, "")

def callout_command(rctx):
    """The command that runs conda-bazel: the Node and script init pinned, else `conda-bazel` on PATH.

    Args:
      rctx: the repository_ctx.

    Returns:
      The command as a list of arguments.
    """
    node = getenv(rctx, NODE)
    cli = getenv(rctx, CLI)
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

    # json.decode would fail with a bare parse error naming neither the command nor the output,
    # so what cannot be one JSON object is refused here, with what was printed.
    text = result.stdout.strip()
    if not (text.startswith("{") and text.endswith("}")):
        fail(_NOT_JSON.format(command = " ".join(command), size = len(result.stdout), start = repr(result.stdout[:_SHOWN]), node = NODE, cli = CLI))
    return json.decode(text)
