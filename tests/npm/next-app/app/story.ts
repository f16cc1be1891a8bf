// The demo story, as an app would have it from its CMS. Its photo is relative to /story.json.
import story from "./story.json";

export { story };
export const SRC = "/story.json";
