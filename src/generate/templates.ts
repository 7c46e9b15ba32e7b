// Every template a generator renders, for scripts/precompile-templates.mjs: the bundle renders
// only precompiled templates, and one missing here fails its `init` (and the init tests) at once.
export { BLOCK, LOCAL } from "./bazelrc.js";
export { MODULE_SNIPPET, PLATFORMS, WORKSPACE_MACRO } from "./rules-go.js";
export { MODULE, WORKSPACE } from "./workspace.js";
