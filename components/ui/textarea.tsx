import clsx from "clsx";
import type { ComponentProps } from "react";
import { controlClasses } from "./input";

export function Textarea({ className, ...rest }: ComponentProps<"textarea">) {
  return <textarea className={clsx(controlClasses, "py-1.5", className)} {...rest} />;
}
