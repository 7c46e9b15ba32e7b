// A string as a one-line YAML scalar that YAML 1.1 (PyYAML, which conda-build uses) reads back as
// that string: plain when it is a word YAML 1.1 resolves to no other type, else double-quoted (a
// JSON string is a YAML double-quoted scalar). For every value conda_build_config.yaml holds, the
// bytes the `yaml` package's stringify writes (test/init/yaml-scalar.test.ts), without loading
// that parser on every init.

const WORD = /^[A-Za-z][A-Za-z0-9_.-]*$/;
/** The words YAML 1.1 reads as booleans or null (yaml.org/type/bool.html, null.html), and `e5`,
 * which the yaml package reads as a float; no other type's form starts with a letter. */
const NOT_A_STRING = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|[eE][0-9]+)$/;

export function yamlScalar(value: string): string {
  return WORD.test(value) && !NOT_A_STRING.test(value) ? value : JSON.stringify(value);
}
