// vitest's setup file: runs before each test file, in a worker that runs many (isolate: false), so
// the hook is the file's own while the list of temp dirs lives in the shared helpers module.
import { afterAll } from "vitest";
import { removeTempDirs } from "../cli/helpers.js";

afterAll(removeTempDirs);
