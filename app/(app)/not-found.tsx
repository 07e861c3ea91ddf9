import { PageError } from "@/components/page-error";

export default function NotFound() {
  return <PageError error={{ code: "not_found", message: "There is nothing at this address, or it was removed." }} />;
}
