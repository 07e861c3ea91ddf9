import clsx from "clsx";
import type { ComponentProps } from "react";

export function Table({ className, ...rest }: ComponentProps<"table">) {
  return (
    <div className="overflow-x-auto">
      <table className={clsx("w-full border-collapse text-left text-sm", className)} {...rest} />
    </div>
  );
}

export function THead({ className, ...rest }: ComponentProps<"thead">) {
  return <thead className={clsx("border-b border-zinc-200 bg-zinc-50 text-xs text-zinc-500", className)} {...rest} />;
}

export function TH({ className, ...rest }: ComponentProps<"th">) {
  return <th scope="col" className={clsx("px-3 py-2 font-medium whitespace-nowrap", className)} {...rest} />;
}

export function TR({ className, ...rest }: ComponentProps<"tr">) {
  return <tr className={clsx("border-b border-zinc-100 last:border-b-0", className)} {...rest} />;
}

export function TD({ className, ...rest }: ComponentProps<"td">) {
  return <td className={clsx("px-3 py-2 align-top", className)} {...rest} />;
}
