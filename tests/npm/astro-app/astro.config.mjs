// Astro's defaults with the Node adapter: pages prerendered unless they say otherwise.
import node from "@astrojs/node";
import { defineConfig } from "astro/config";

export default defineConfig({ adapter: node({ mode: "standalone" }) });
