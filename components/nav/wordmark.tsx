import clsx from "clsx";

/** The Countersign mark: two overlapping checks, one drafted, one countersigned. */
export function Wordmark({ size = "md" }: { size?: "md" | "lg" }) {
  const box = size === "lg" ? "size-8" : "size-6";
  return (
    <span className="inline-flex items-center gap-2">
      <span className={clsx("inline-flex items-center justify-center rounded-md bg-accent-600 text-white", box)} aria-hidden>
        <svg viewBox="0 0 24 24" className={size === "lg" ? "size-5" : "size-4"} fill="none" stroke="currentColor" strokeWidth="2.4">
          <path d="M3.5 12.5l4 4 8-9" strokeLinecap="round" strokeLinejoin="round" opacity="0.55" />
          <path d="M8.5 12.5l4 4 8-9" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      </span>
      <span className={clsx("font-semibold tracking-tight text-zinc-900", size === "lg" ? "text-xl" : "text-[15px]")}>Countersign</span>
    </span>
  );
}
