// The demo game arrives with the demo issue; until then `npm run demo` says so and succeeds.
console.log('tickhttp demo: coming soon');
