import { Form } from "@remix-run/react";
import type { FormEvent, ReactNode } from "react";
import { clearOfflineData } from "./clear";

/**
 * The account menu's logout (ADR 031). Where JavaScript runs, the seller app's
 * caches, queue and worker go before the logout is posted, and the post is a
 * whole-page one: the next page must not be fetched through the worker being
 * removed. Its own module, so every hydrated page's menu carries only this,
 * not the queue.
 */
export function LogoutForm({ children }: { children: ReactNode }) {
  const logout = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    void clearOfflineData().then(() => form.submit());
  };
  return (
    <Form method="post" action="/logout" onSubmit={logout}>
      {children}
    </Form>
  );
}
