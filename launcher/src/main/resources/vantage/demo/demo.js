// The demo site's behaviour: forms that sign in, register and convert, and the identify call.
const v = (...args) => (window.vantage ? window.vantage(...args) : null);
const user = () => JSON.parse(localStorage.getItem('demo_user') || 'null');

function show() {
  const u = user();
  document.querySelectorAll('.signed-in').forEach((e) => { e.hidden = !u; });
  document.querySelectorAll('.signed-out').forEach((e) => { e.hidden = !!u; });
  const who = document.getElementById('who');
  if (who) who.textContent = u ? 'Hello, ' + u.name : '';
}

function signIn(form, goal) {
  const data = Object.fromEntries(new FormData(form));
  localStorage.setItem('demo_user', JSON.stringify({ name: data.name }));
  v('identify', { name: data.name, gender: data.gender, ...(data.plan ? { plan: data.plan } : {}) });
  if (goal) v('event', goal, { plan: data.plan });
}

document.addEventListener('DOMContentLoaded', () => {
  show();
  const plan = new URLSearchParams(location.search).get('plan');
  const register = document.getElementById('register-form');
  if (register && plan) register.elements.plan.value = plan;
  // The tracker records the submit itself (form_submit); the page then does what a site does.
  register?.addEventListener('submit', (e) => { e.preventDefault(); signIn(register, 'signup'); setTimeout(() => location.assign('/demo/'), 300); });
  const login = document.getElementById('login-form');
  login?.addEventListener('submit', (e) => { e.preventDefault(); signIn(login); v('event', 'login'); setTimeout(() => location.assign('/demo/'), 300); });
  const contact = document.getElementById('contact-form');
  contact?.addEventListener('submit', (e) => { e.preventDefault(); contact.hidden = true; document.getElementById('sent').hidden = false; });
  document.getElementById('logout')?.addEventListener('click', () => { localStorage.removeItem('demo_user'); v('event', 'logout'); show(); });
});
