import clsx from "clsx";
import type { ComponentProps, ReactNode } from "react";

export const controlClasses =
  "block w-full rounded-md border border-zinc-300 bg-white px-2.5 text-sm text-zinc-900 shadow-xs placeholder:text-zinc-500 " +
  "focus:border-accent-500 focus:outline-none focus:ring-2 focus:ring-accent-500/20 disabled:bg-zinc-50 disabled:text-zinc-500 " +
  "aria-[invalid=true]:border-red-400";

export function Input({ className, ...rest }: ComponentProps<"input">) {
  return <input className={clsx(controlClasses, "h-8", className)} {...rest} />;
}

/** A label, the control, and a hint or an error under it. */
export function Field({
  label,
  htmlFor,
  hint,
  error,
  className,
  children,
}: {
  label: ReactNode;
  htmlFor: string;
  hint?: ReactNode;
  error?: string | null;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={clsx("space-y-1", className)}>
      <label htmlFor={htmlFor} className="block text-xs font-medium text-zinc-700">
        {label}
      </label>
      {children}
      {error ? (
        <p className="text-xs text-red-700 first-letter:uppercase" role="alert">
          {error}
        </p>
      ) : hint ? (
        <p className="text-xs text-zinc-500">{hint}</p>
      ) : null}
    </div>
  );
}

export function Checkbox({ label, className, ...rest }: ComponentProps<"input"> & { label: ReactNode }) {
  return (
    <label className={clsx("inline-flex cursor-pointer items-center gap-2 text-sm text-zinc-800", className)}>
      <input type="checkbox" className="size-4 rounded border-zinc-300 accent-accent-600" {...rest} />
      <span>{label}</span>
    </label>
  );
}
