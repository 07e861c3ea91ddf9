import clsx from "clsx";
import type { ReactNode } from "react";

export type BadgeTone = "grey" | "amber" | "green" | "teal" | "red" | "blue" | "accent" | "violet";

const tones: Record<BadgeTone, string> = {
  grey: "bg-zinc-100 text-zinc-700 ring-zinc-300/70",
  amber: "bg-amber-50 text-amber-800 ring-amber-300/80",
  green: "bg-emerald-50 text-emerald-800 ring-emerald-300/80",
  teal: "bg-teal-50 text-teal-800 ring-teal-300/80",
  red: "bg-red-50 text-red-800 ring-red-300/80",
  blue: "bg-sky-50 text-sky-800 ring-sky-300/80",
  accent: "bg-accent-50 text-accent-800 ring-accent-200",
  violet: "bg-violet-50 text-violet-800 ring-violet-300/80",
};

const dots: Record<BadgeTone, string> = {
  grey: "bg-zinc-400",
  amber: "bg-amber-500",
  green: "bg-emerald-500",
  teal: "bg-teal-500",
  red: "bg-red-500",
  blue: "bg-sky-500",
  accent: "bg-accent-500",
  violet: "bg-violet-500",
};

export function Badge({
  tone = "grey",
  dot = false,
  title,
  className,
  children,
}: {
  tone?: BadgeTone;
  dot?: boolean;
  title?: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <span
      title={title}
      className={clsx(
        "inline-flex items-center gap-1 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset",
        tones[tone],
        className,
      )}
    >
      {dot ? <span aria-hidden className={clsx("size-1.5 rounded-full", dots[tone])} /> : null}
      {children}
    </span>
  );
}
