import clsx from "clsx";
import type { ComponentProps } from "react";
import { controlClasses } from "./input";

export function Select({ className, ...rest }: ComponentProps<"select">) {
  return <select className={clsx(controlClasses, "h-8 pr-8", className)} {...rest} />;
}
