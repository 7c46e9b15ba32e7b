"""Renders BUILD file text as buildifier would format it: one argument per line, values by repr()."""

_INDENT = "    "

def _value(value, indent):
    if type(value) == "list":
        if len(value) < 2:
            return repr(value)
        items = ["{}{}{},".format(indent, _INDENT, repr(v)) for v in value]
        return "[\n{}\n{}]".format("\n".join(items), indent)
    if type(value) == "dict":
        if not value:
            return "{}"
        items = ["{}{}{}: {},".format(indent, _INDENT, repr(k), repr(value[k])) for k in sorted(value.keys())]
        return "{{\n{}\n{}}}".format("\n".join(items), indent)
    return repr(value)

def _argument_order(kwarg):
    return ("0" if kwarg[0] == "name" else "1") + kwarg[0]

def render_call(function, kwargs):
    """A call `function(k = v, ...)`, formatted for a BUILD file.

    Args:
      function: name of the function or rule to call.
      kwargs: list of (name, value) pairs; written `name` first, then sorted by name.

    Returns:
      The call's text, ending with a newline.
    """
    lines = ["{}(".format(function)]

    # buildifier's order: `name` first, then the other arguments sorted.
    for name, value in sorted(kwargs, key = _argument_order):
        lines.append("{}{} = {},".format(_INDENT, name, _value(value, _INDENT)))
    lines.append(")")
    return "\n".join(lines) + "\n"

def render_load(label, symbols):
    """A load statement.

    Args:
      label: the Label of the .bzl file.
      symbols: names to load from it.

    Returns:
      The statement's text.
    """
    return "load({}, {})".format(repr(str(label)), ", ".join([repr(s) for s in symbols]))

def render_toolchain(name, toolchain, toolchain_type, exec_compatible_with, target_compatible_with):
    """A `toolchain()` declaration, formatted for a BUILD file.

    Args:
      name: name of the toolchain() target.
      toolchain: label of the rule that provides the toolchain's ToolchainInfo.
      toolchain_type: label of the toolchain type.
      exec_compatible_with: constraint labels of the machine that runs the builds.
      target_compatible_with: constraint labels of the platform built for.

    Returns:
      The declaration's text, ending with a newline.
    """
    return render_call("toolchain", [
        ("name", name),
        ("exec_compatible_with", exec_compatible_with),
        ("target_compatible_with", target_compatible_with),
        ("toolchain", toolchain),
        ("toolchain_type", toolchain_type),
    ])
