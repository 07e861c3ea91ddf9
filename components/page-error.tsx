import { ButtonLink } from "@/components/ui/button";
import type { ActionError } from "@/components/forms/use-server-action";

const titles: Record<string, string> = {
  forbidden: "You do not have access to this",
  not_found: "Not found",
  unauthorized: "Please sign in",
};

/** A page that could not load, said in words: what happened and a way back. */
export function PageError({ error }: { error: ActionError }) {
  return (
    <div role="alert" className="mx-auto mt-10 max-w-lg rounded-lg border border-zinc-200 bg-white p-6 text-center shadow-xs">
      <p className="text-xs font-medium tracking-wide text-zinc-500 uppercase">
        {error.code === "forbidden" ? "403" : error.code === "not_found" ? "404" : "Error"}
      </p>
      <h1 className="mt-1 text-lg font-semibold text-zinc-900">{titles[error.code] ?? "Something went wrong"}</h1>
      <p className="mt-2 text-sm text-zinc-600">{error.message}</p>
      <div className="mt-5">
        <ButtonLink href="/" size="sm">
          Back to your work
        </ButtonLink>
      </div>
    </div>
  );
}
