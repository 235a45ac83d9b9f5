import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Lives in test/ so the top level stays as the project layout prescribes.
export default defineConfig({
  root: fileURLToPath(new URL("..", import.meta.url)),
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
