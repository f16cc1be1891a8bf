// Records the page's Content-Security-Policy violations where a test in any browser can
// read them (window.__violations), for engines whose drivers cannot read the console.
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
