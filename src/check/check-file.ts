// One built file read and judged: what `conda-bazel check` does per PATH and go-build per library.
import { UsageError } from "../errors.js";
import { readBinary, type BinaryImage } from "./binary-header.js";
import { MalformedBinary, withFileSource } from "./byte-source.js";
import { checkImages, type Expectations, type Finding } from "./findings.js";

/** The file's images; a UsageError when it is no binary or a damaged one. */
export function readImages(path: string): BinaryImage[] {
  try {
    const images = withFileSource(path, readBinary);
    if (!images) throw new UsageError(`${path} is not an ELF, PE or Mach-O file`, "name only built executables and libraries");
    return images;
  } catch (error) {
    if (error instanceof MalformedBinary) throw new UsageError(`${path} is a damaged binary: ${error.message}`, "rebuild it, or leave it out of the check");
    throw error;
  }
}

export function checkFile(path: string, want: Expectations): Finding[] {
  return checkImages(readImages(path), want);
}
