// The staff dashboard's alarm tone (staff.js), and what the page says while the browser holds it back: a page
// opened or reloaded without a click (its duty kept from before) may not sound until it gets one, and its
// first alert would be silent. The button that lets it sound (#sound) and the sentence saying so
// (#sound-held, a status region always there, so that a screen reader announces what is written into it)
// show whenever the sound matters and is held back: checked as the queue comes, as duty changes and as
// something rings, not first at an alert.
const $ = (id) => document.getElementById(id);

let audio = null;
let page = { matters: () => false, words: () => '' };

/** The page's audio, made once; its state changes show or hide the button. */
function context() {
  if (!audio) {
    audio = new AudioContext();
    audio.onstatechange = showSoundHeld;
  }
  return audio;
}

/** Wires the button. `matters()`: whether the sound matters now (on duty, or something ringing: a ladder's
    step rings off-duty dashboards too); `words()`: the sentence, in the current language. */
export function setUpAlarmSound(matters, words) {
  page = { matters, words };
  $('sound').addEventListener('click', () => context().resume().then(showSoundHeld));
}

/** Shows the button and the sentence while the sound matters and is held back; hides them otherwise. */
export function showSoundHeld() {
  const matters = page.matters();
  let held;
  try {
    held = matters && context().state !== 'running';
  } catch {
    held = matters; // no audio at all here
  }
  $('sound').hidden = !held;
  const text = held ? page.words() : '';
  if ($('sound-held').textContent !== text) $('sound-held').textContent = text;
}

/** A click elsewhere (going on duty) lets the page sound too. */
export function allowSound() {
  try {
    context().resume();
  } catch { /* no audio here: showSoundHeld says so once it matters */ }
}

/** One tone, higher for an urgent request. */
export function playTone(urgent) {
  try {
    const ctx = context();
    showSoundHeld();
    const oscillator = ctx.createOscillator();
    const gain = ctx.createGain();
    oscillator.frequency.value = urgent ? 880 : 660;
    gain.gain.value = 0.2;
    oscillator.connect(gain).connect(ctx.destination);
    oscillator.start();
    oscillator.stop(ctx.currentTime + 0.6);
  } catch { showSoundHeld(); }
}
