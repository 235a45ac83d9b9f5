import { access } from "node:fs/promises";

/** Whether something can be reached at `path` (a missing report means: analyse again). */
export async function fileExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
