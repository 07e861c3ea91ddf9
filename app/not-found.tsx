import { PageError } from "@/components/page-error";

/** Addresses no route matches, outside the signed-in layout: the same words, with a 404. */
export default function NotFound() {
  return (
    <main className="px-4 py-10">
      <PageError error={{ code: "not_found", message: "There is nothing at this address, or it was removed." }} />
    </main>
  );
}
