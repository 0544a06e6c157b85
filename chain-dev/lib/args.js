// Minimal command-line option reading for the dev-chain scripts.
/** The value after `name` on the command line, or `fallback`. */
function option(name, fallback) {
  const i = process.argv.indexOf(name);
  if (i === -1) return fallback;
  const value = process.argv[i + 1];
  if (value === undefined || value.startsWith("--")) {
    console.error(`option ${name} needs a value`);
    process.exit(2);
  }
  return value;
}

module.exports = { option };
