import { vi } from "vitest";

/** What the process prints to stdout while `work` runs: the text, and its JSON log lines parsed. */
export async function linesPrintedBy(work: () => Promise<unknown>): Promise<{ lines: Record<string, unknown>[]; printed: string }> {
  const printed: string[] = [];
  const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    printed.push(String(chunk));
    return true;
  });
  try {
    await work();
  } finally {
    write.mockRestore();
  }
  const text = printed.join("");
  return { lines: text.split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as Record<string, unknown>), printed: text };
}
