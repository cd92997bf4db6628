// The duty button's guard against a double click, held as a card's buttons are (staff.js): from a click
// until the server's answer, then for SETTLE_MS, so the second click does not turn duty back off (on duty
// and not ringing, unknowingly). A held button says so (aria-disabled) and keeps keyboard focus.

// After buttons change, appear or move, or an answer frees them, clicks on them are ignored for this
// long, so the second click of a double click never lands on what took the first one's place.
export const SETTLE_MS = 600;

const hold = { waitingFor: null, settledAt: 0, timer: 0 };

export const dutyHeld = () => hold.waitingFor !== null || performance.now() < hold.settledAt;
/** Whether a duty change was sent and its answer has not come. */
export const dutyWaiting = () => hold.waitingFor !== null;

function update() {
  clearTimeout(hold.timer);
  const left = hold.settledAt - performance.now();
  if (left > 0) hold.timer = setTimeout(update, left + 10);
  const button = document.getElementById('duty');
  if (dutyHeld()) button.setAttribute('aria-disabled', 'true');
  else button.removeAttribute('aria-disabled');
}

/** The duty change `ref` was sent: the button is held until its answer. */
export function holdDuty(ref) {
  hold.waitingFor = ref;
  update();
}

/** The answer to the duty change `ref` (or none will come: null ends any wait). True when it was the one
    waited for. */
export function dutyAnswered(ref) {
  if (hold.waitingFor === null || (ref !== null && ref !== hold.waitingFor)) return false;
  hold.waitingFor = null;
  hold.settledAt = performance.now() + SETTLE_MS;
  update();
  return true;
}
