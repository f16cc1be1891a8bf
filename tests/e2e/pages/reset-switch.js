// reset.html?off: the same page without its reset sheet (the reference to compare with).
if (new URLSearchParams(location.search).has("off")) document.getElementById("reset").disabled = true;
