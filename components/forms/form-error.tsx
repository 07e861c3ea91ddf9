import { Alert } from "@/components/ui/alert";
import type { ActionError } from "./use-server-action";

/**
 * An action's error in words. Invalid-input issues for fields the form already shows inline
 * (`inline`) are not repeated; any others are listed by the form's labels. Any other error shows
 * the service's message.
 */
export function FormError({
  error,
  inline = [],
  labels = {},
}: {
  error: ActionError | null;
  inline?: string[];
  labels?: Record<string, string>;
}) {
  if (!error) return null;
  const issues = Array.isArray(error.details)
    ? (error.details as { path?: unknown; message?: unknown }[]).filter(
        (d): d is { path: string; message: string } => typeof d.path === "string" && typeof d.message === "string",
      )
    : [];
  if (error.code === "invalid" && issues.length > 0) {
    const others = issues.filter((issue) => !inline.includes(issue.path));
    if (others.length === 0) return null;
    return (
      <Alert tone="danger" role="alert" title="Check these fields">
        <ul className="list-disc pl-4">
          {others.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>
              {labels[issue.path] ?? issue.path}: {issue.message}
            </li>
          ))}
        </ul>
      </Alert>
    );
  }
  return (
    <Alert tone="danger" role="alert">
      {error.message}
    </Alert>
  );
}
