"use client";

import clsx from "clsx";
import { Checkbox } from "@/components/ui/input";

type Person = { id: string; email: string; name: string };

/** A scrolling list of people to tick as reviewers; `chosen` holds their emails. */
export function ReviewerChecklist({
  users,
  chosen,
  onChange,
  className,
}: {
  users: readonly Person[];
  chosen: readonly string[];
  onChange: (chosen: string[]) => void;
  className?: string;
}) {
  return (
    <div className={clsx("space-y-1 overflow-y-auto rounded-md border border-zinc-200 p-2", className ?? "max-h-48")}>
      {users.map((user) => (
        <Checkbox
          key={user.id}
          className="flex"
          label={
            <>
              {user.name} <span className="text-xs text-zinc-500">{user.email}</span>
            </>
          }
          checked={chosen.includes(user.email)}
          onChange={(event) => onChange(event.target.checked ? [...chosen, user.email] : chosen.filter((email) => email !== user.email))}
        />
      ))}
    </div>
  );
}
