"use client";

import { Button } from "@/components/ui/button";

export default function AppError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="mx-auto mt-10 max-w-lg rounded-lg border border-zinc-200 bg-white p-6 text-center shadow-xs">
      <h1 className="text-lg font-semibold text-zinc-900">Something went wrong</h1>
      <p className="mt-2 text-sm text-zinc-600">This page could not be shown. The error was logged on the server. Try again in a moment.</p>
      <div className="mt-5">
        <Button onClick={reset} size="sm">
          Try again
        </Button>
      </div>
    </div>
  );
}
