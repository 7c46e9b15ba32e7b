"""The @conda repository rule: calls out to `conda-bazel describe --json` and materialises the
environment's platforms, cc toolchains, Python toolchain and GOROOT.

The prefix is linked into the repository and every tool is named by a path relative to the
package that declares its toolchain, so no action carries the machine's prefix path and a
sandbox (or a remote executor) sees every compiler file as a declared input.
"""

load("//go:repository.bzl", "conda_go_toolchains")
load(":render.bzl", "render_call", "render_load")
load(":targets.bzl", "TARGETS", "TARGETS_BY_SUBDIR")

# What the rule reads from the environment; .bazelrc.conda pins each with --repo_env, and a
# change to any of them (another prefix, a `conda install` then `init`) refetches the repository.
_PREFIX = "CONDA_BAZEL_PREFIX"
_FINGERPRINT = "CONDA_BAZEL_FINGERPRINT"
_NODE = "CONDA_BAZEL_NODE"
_CLI = "CONDA_BAZEL_CLI"

_SCHEMA_VERSION = 1

# The conda flags that point into the prefix (`-isystem $PREFIX/include`, `-L`, `-rpath`) are
# left out: they would put the machine's prefix path into every action key, and Bazel targets
# reach env libraries through declared deps instead. These options take their value as the next
# argument.
_OPTIONS_WITH_VALUE = ["-isystem", "-I", "-L", "-idirafter", "-iquote", "-include"]

# Flags that belong to an optimised build only; they move from the default flags to `opt`.
_OPT_PREFIXES = ["-O", "-DNDEBUG", "-D_FORTIFY_SOURCE"]

_DBG_FLAGS = ["-Og", "-g"]

_LINK_LIBS = ["-lstdc++", "-lm"]

# Reproducible outputs whatever the path or the time of the build.
_DETERMINISM_FLAGS = [
    "-Wno-builtin-macro-redefined",
    "-D__DATE__=\"redacted\"",
    "-D__TIMESTAMP__=\"redacted\"",
    "-D__TIME__=\"redacted\"",
]

# gcc reports headers by the path it found them under (not their canonical path) with these,
# so the relative sysroot paths match the toolchain's builtin include directories.
_GCC_PATH_FLAGS = ["-no-canonical-prefixes", "-fno-canonical-system-headers"]

_DESCRIBE_FAILED = """conda-bazel describe failed (exit code {code}).
Command: {command}
{stderr}
Check the prefix in .bazelrc.conda, or run `conda-bazel init` again in the workspace root."""

_NO_PREFIX = """The @{name} repository needs the conda environment that `conda-bazel init` pins in
.bazelrc.conda (--repo_env={var}=...), and none is set. Run `conda-bazel init` in the workspace
root (with the environment activated or --prefix), then build again."""

def _required_env(rctx, var):
    value = rctx.os.environ.get(var, "")
    if not value:
        fail(_NO_PREFIX.format(name = rctx.name, var = var))
    return value

def _callout_command(rctx):
    """The command that runs conda-bazel: the Node and script init pinned, else `conda-bazel` on PATH."""
    node = rctx.os.environ.get(_NODE, "")
    cli = rctx.os.environ.get(_CLI, "")
    if node and cli:
        return [node, cli]
    found = rctx.which("conda-bazel")
    if found:
        return [found]
    fail("Cannot find conda-bazel: .bazelrc.conda pins no {} / {} and conda-bazel is not on PATH. Run `conda-bazel init` in the workspace root.".format(_NODE, _CLI))

def _describe(rctx, prefix):
    command = _callout_command(rctx) + ["describe", "--json", "--prefix", prefix]
    for target in rctx.attr.targets:
        command += ["--target", target]
    result = rctx.execute(command, timeout = 300)
    if result.return_code != 0:
        fail(_DESCRIBE_FAILED.format(code = result.return_code, command = " ".join(command), stderr = result.stderr))
    env = json.decode(result.stdout)
    if env.get("schemaVersion") != _SCHEMA_VERSION:
        fail("conda-bazel describe printed schemaVersion {}, this Starlark reads {}: vendor the Starlark of the same conda-bazel release (run `conda-bazel init` again)".format(env.get("schemaVersion"), _SCHEMA_VERSION))
    return env

def _known_cpus(rctx):
    """The cpu constraint names the @platforms repository in use declares (older releases lack some, e.g. ppc64le)."""
    build = rctx.read(rctx.path(Label("@platforms//cpu:BUILD")))
    return [line.split("\"")[1] for line in build.splitlines() if line.strip().startswith("name = \"")]

def _constraints(target, known_cpus):
    cpu = [c for c in target.cpus if c in known_cpus]
    if not cpu:
        fail("@platforms declares none of the cpu constraints {} for {}; use a newer @platforms".format(target.cpus, target.triplet))
    return ["@platforms//os:" + target.os, "@platforms//cpu:" + cpu[0]]

def _in_prefix(path, prefix, link):
    """`path` relative to the package, through the `link` to the prefix, when it lies inside the prefix."""
    if path == None:
        return "/bin/false"
    if path.startswith(prefix + "/"):
        return link + path[len(prefix):]
    return path

def _portable_flags(flags, prefix):
    kept = []
    skip = False
    for i, flag in enumerate(flags):
        if skip:
            skip = False
            continue
        if flag in _OPTIONS_WITH_VALUE and i + 1 < len(flags) and prefix in flags[i + 1]:
            skip = True
            continue
        if prefix not in flag:
            kept.append(flag)
    return kept

def _is_opt(flag):
    return [p for p in _OPT_PREFIXES if flag.startswith(p)] != []

def _unique(items):
    seen = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen

def _cc_package(rctx, toolchain, target, prefix):
    """Writes the package `<target>/` holding the target's cc toolchain, with the prefix linked in."""
    rctx.symlink(prefix, target.triplet + "/prefix")
    link = "prefix"
    tools = {
        "ar": toolchain["ar"],
        "cpp": toolchain["cpp"],
        "gcc": toolchain["cc"],
        "gcov": None,
        "ld": toolchain["ld"],
        "nm": toolchain["nm"],
        "objcopy": toolchain["objcopy"],
        "objdump": toolchain["objdump"],
        "strip": toolchain["strip"],
    }
    cppflags = _portable_flags(toolchain["cppflags"], prefix)
    cflags = _portable_flags(toolchain["cflags"], prefix)
    cxxflags = _portable_flags(toolchain["cxxflags"], prefix)
    builtin = ["%sysroot%/usr"] if toolchain["sysroot"] else []
    for directory in toolchain["builtinIncludeDirectories"]:
        builtin.append(_in_prefix(directory, prefix, link))
        if directory.startswith(prefix + "/"):
            builtin.append(directory)
    kwargs = [
        ("name", "cc"),
        ("conda_triplet", toolchain["condaTriplet"]),
        ("target", target.triplet),
        ("target_cpu", target.target_cpu),
        ("target_libc", target.target_libc),
        ("compiler", toolchain["family"]),
        ("compiler_version", toolchain["version"]),
        ("tool_paths", {name: _in_prefix(path, prefix, link) for name, path in tools.items()}),
        ("sysroot", _in_prefix(toolchain["sysroot"], prefix, link) if toolchain["sysroot"] else ""),
        ("builtin_include_directories", _unique(builtin)),
        ("compile_flags", [f for f in cppflags if not _is_opt(f)] + (_GCC_PATH_FLAGS if toolchain["family"] == "gcc" else []) + _DETERMINISM_FLAGS),
        ("c_flags", [f for f in cflags if not _is_opt(f)]),
        ("cxx_flags", [f for f in cxxflags if not _is_opt(f)]),
        ("opt_compile_flags", _unique([f for f in cflags + cppflags if _is_opt(f)])),
        ("dbg_compile_flags", _DBG_FLAGS),
        ("link_flags", _portable_flags(toolchain["ldflags"], prefix)),
        ("link_libs", _LINK_LIBS),
    ]
    rctx.file(target.triplet + "/BUILD.bazel", "\n".join([
        "# Generated by conda-bazel's repository rule from `conda-bazel describe --json`.",
        render_load(Label("//private:toolchains.bzl"), ["conda_cc_toolchain"]),
        "",
        render_call("conda_cc_toolchain", kwargs),
    ]))

def _go_package(rctx, go):
    """Writes the package `go/`: every entry of the conda GOROOT linked in, plus a ROOT marker file."""
    goroot = rctx.path(go["goroot"])
    for entry in goroot.readdir():
        if entry.basename not in ["BUILD", "BUILD.bazel", "WORKSPACE", "ROOT"]:
            rctx.symlink(entry, "go/" + entry.basename)
    rctx.file("go/ROOT", "")
    rctx.file("go/BUILD.bazel", "\n".join([
        "# Generated by conda-bazel's repository rule: the conda environment's GOROOT.",
        render_load(Label("//private:toolchains.bzl"), ["conda_go_sdk"]),
        "",
        render_call("conda_go_sdk", [("name", "go"), ("version", go["version"]), ("variant", go["variant"])]),
    ]))

def _root_package(rctx, env, exec_constraints, constraints):
    calls = []
    for triplet in rctx.attr.targets:
        calls.append(render_call("platform", [("name", triplet), ("constraint_values", constraints[triplet])]))
    for toolchain in env["toolchains"]:
        triplet = toolchain["target"]
        calls.append(render_call("toolchain", [
            ("name", triplet + "_cc_toolchain"),
            ("exec_compatible_with", exec_constraints),
            ("target_compatible_with", constraints[triplet]),
            ("toolchain", "//{}:cc".format(triplet)),
            ("toolchain_type", "@bazel_tools//tools/cpp:toolchain_type"),
        ]))
    loads = []
    if env["python"]:
        loads.append(render_load(Label("//private:toolchains.bzl"), ["conda_python_toolchain"]))
        calls.append(render_call("conda_python_toolchain", [
            ("name", "python"),
            ("interpreter_path", env["python"]["interpreter"]),
            ("target_compatible_with", exec_constraints),
        ]))
    if env["go"]:
        go_loads, go_calls = conda_go_toolchains(rctx, _callout_command(rctx), env["prefix"], exec_constraints, constraints)
        loads += go_loads
        calls += go_calls
    rctx.file("BUILD.bazel", "\n".join(
        ["# Generated by conda-bazel's repository rule from `conda-bazel describe --json`."] + loads +
        ["", "package(default_visibility = [\"//visibility:public\"])", ""] +
        ["\n".join(calls)],
    ))

def _environment_bzl(rctx, env):
    lines = [
        "\"\"\"What conda-bazel found in the conda environment (generated).\"\"\"",
        "",
        "FINGERPRINT = {}".format(repr(env["fingerprint"])),
        "SUBDIR = {}".format(repr(env["subdir"])),
        "CC_TARGETS = {}".format(repr([t["target"] for t in env["toolchains"]])),
        "GO_VERSION = {}".format(repr(env["go"]["version"] if env["go"] else None)),
        "PYTHON_VERSION = {}".format(repr(env["python"]["version"] if env["python"] else None)),
        "",
    ]
    rctx.file("environment.bzl", "\n".join(lines))

def _conda_environment_impl(rctx):
    prefix = _required_env(rctx, _PREFIX)
    for triplet in rctx.attr.targets:
        if triplet not in TARGETS:
            fail("{}: unknown target {}; valid targets: {}".format(rctx.name, triplet, ", ".join(TARGETS.keys())))
    rctx.report_progress("conda-bazel describe " + prefix)
    env = _describe(rctx, prefix)
    host = TARGETS_BY_SUBDIR.get(env["subdir"])
    if host == None:
        fail("The conda environment at {} is for {}, which conda-bazel cannot run builds on".format(prefix, env["subdir"]))
    known_cpus = _known_cpus(rctx)
    constraints = {t: _constraints(TARGETS[t], known_cpus) for t in rctx.attr.targets}
    for toolchain in env["toolchains"]:
        if toolchain["target"] not in constraints:
            constraints[toolchain["target"]] = _constraints(TARGETS[toolchain["target"]], known_cpus)
        _cc_package(rctx, toolchain, TARGETS[toolchain["target"]], env["prefix"])
    if env["go"]:
        _go_package(rctx, env["go"])
    _root_package(rctx, env, _constraints(host, known_cpus), constraints)
    _environment_bzl(rctx, env)
    rctx.file("WORKSPACE", "workspace(name = {})\n".format(repr(rctx.name)))

ENVIRONMENT_ATTRS = {
    "targets": attr.string_list(
        doc = "Canonical target triplets (see `conda-bazel targets`) to declare a platform `@<name>//:<triplet>` and, where the environment has a compiler for it, a cc toolchain for. `conda-bazel init` writes this list.",
    ),
}

conda_environment = repository_rule(
    implementation = _conda_environment_impl,
    attrs = ENVIRONMENT_ATTRS,
    environ = [_PREFIX, _FINGERPRINT, _NODE, _CLI],
    configure = True,
    local = False,
    doc = """Toolchains and platforms from a conda environment.

Reads the prefix pinned by `conda-bazel init` in .bazelrc.conda (--repo_env=CONDA_BAZEL_PREFIX)
and runs `conda-bazel describe --json` on it. Declares `@<name>//:<triplet>` platforms, a cc
toolchain per target with a compiler (`@<name>//:all` holds the `toolchain()` targets to
register), a Python toolchain from the environment's interpreter, and `@<name>//go:ROOT` /
`@<name>//go:files` for its GOROOT.""",
)
