// The answer box: a text area that counts words and time as the candidate types, in the browser (no network,
// no round trip per key), and reports its text to the server once typing pauses, so the draft is saved as the
// candidate goes. pages/_answer_box.py mounts it; `data` carries the text the server wants shown (with a
// version that changes only when the server replaces the text), the word band and the seconds elapsed.

const PAUSE_MS = 700; // report the text once typing pauses this long...
const MAX_WAIT_MS = 5000; // ...or at least this often during a long unbroken burst of typing
const boxes = new WeakMap();

function countWords(text) {
  const words = text.trim().split(/\s+/);
  return words[0] === "" ? 0 : words.length;
}

function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

// The wording is coach's (coach.practice.workflow.band_messages, sent in `data`): only the numbers are filled
// in here, with the same thresholds as word_band.
function band(count, data) {
  const { low, high, messages, icons } = data;
  const status = count === 0 ? "empty" : count < low ? "short" : count > high ? "long" : "within";
  const message = messages[status]
    .replace("{count}", String(count))
    .replace("{short}", String(low - count))
    .replace("{over}", String(count - high));
  return [status, icons[status], message];
}

function setUp(root, setStateValue) {
  const area = root.querySelector("textarea");
  const box = { area, data: null, receivedAt: 0, pause: null, firstUnsent: 0, sent: null };

  box.render = () => {
    const count = countWords(area.value);
    const [status, icon, message] = band(count, box.data);
    const words = root.querySelector(".words");
    words.textContent = `${icon} ${message}`;
    words.dataset.status = status;
    const bar = root.querySelector(".bar > span");
    bar.style.width = `${Math.min(count / box.data.high, 1) * 100}%`;
    box.tick();
  };
  box.tick = () => {
    const elapsed = box.data.elapsed + (Date.now() - box.receivedAt) / 1000;
    const over = elapsed > 120 ? " · past the two-minute mark" : "";
    root.querySelector(".time").textContent = `⏱ ${clock(elapsed)} elapsed · a spoken answer takes about 2:00${over}`;
  };
  box.send = () => {
    clearTimeout(box.pause);
    box.pause = null;
    box.firstUnsent = 0;
    if (area.value !== box.sent) {
      box.sent = area.value;
      setStateValue("text", area.value);
    }
  };
  box.onInput = () => {
    box.render();
    const now = Date.now();
    box.firstUnsent = box.firstUnsent || now;
    clearTimeout(box.pause);
    const wait = Math.max(0, Math.min(PAUSE_MS, box.firstUnsent + MAX_WAIT_MS - now));
    box.pause = setTimeout(box.send, wait);
  };
  area.addEventListener("input", box.onInput);
  area.addEventListener("blur", box.send);
  box.timer = setInterval(box.tick, 1000);
  return box;
}

export default function ({ parentElement, data, setStateValue }) {
  let box = boxes.get(parentElement);
  if (!box) {
    box = setUp(parentElement, setStateValue);
    boxes.set(parentElement, box);
  }
  box.data = data;
  box.receivedAt = Date.now();
  const { area } = box;
  area.placeholder = data.placeholder;
  area.style.height = `${data.height}px`;
  parentElement.querySelector("label").textContent = data.label;
  area.setAttribute("aria-label", data.label);
  // Only a new version from the server replaces what is in the box: every other run (a pause in typing, the
  // clock, another widget) leaves the candidate's text, cursor and focus alone.
  if (area.dataset.version !== String(data.version)) {
    area.value = data.text;
    area.dataset.version = String(data.version);
    box.sent = data.text;
  }
  box.render();
  return () => {
    box.send(); // leaving the page (a click on Score, another page) keeps the last keystrokes
    clearInterval(box.timer);
    area.removeEventListener("input", box.onInput);
    area.removeEventListener("blur", box.send);
    boxes.delete(parentElement);
  };
}
