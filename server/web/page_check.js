// The resident page's check that it works: a classic script, in the oldest syntax, so it runs in browsers that
// cannot run the page's module (too old for modules or for the syntax the module uses). Once the page has loaded,
// after the module would have run, a page whose module did not start shows why nothing can be pressed
// (resident.html). Nothing shows while the page works, so there is no flash of the notice on a slow connection.
window.addEventListener('load', function () {
  if (!window.askPageStarted) document.getElementById('no-script').hidden = false;
});
