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

/**
 * Prints `usage` and exits 0 on --help (or -h); exits 2 naming the first argument that is not one of
 * `valued` (options followed by a value) or `flags`, so that a typo or --help never starts or stops a node.
 */
function onlyOptions(usage, valued, flags = []) {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    console.log(usage);
    process.exit(0);
  }
  for (let i = 0; i < args.length; i++) {
    if (valued.includes(args[i])) i++;
    else if (!flags.includes(args[i])) {
      console.error(`unknown argument ${args[i]}; usage: ${usage}`);
      process.exit(2);
    }
  }
}

module.exports = { option, onlyOptions };
