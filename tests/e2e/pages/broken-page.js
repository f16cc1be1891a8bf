// A host page's own scripts at their worst: a frozen Object.prototype and an uncaught error.
Object.freeze(Object.prototype);
Object.freeze(Array.prototype);
throw new Error("the host page's own script failed");
