// Must NOT compile: a misspelt option name and a value that is not a theme.
import { mount } from "article-embed";

export async function wrong(element: Element): Promise<void> {
  await mount(element, { headline: "H" }, { signupEndpont: "/api/subscribe" });
  await mount(element, { headline: "H" }, { theme: "purple" });
}
