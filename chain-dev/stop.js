#!/usr/bin/env node
// Stops the local node started on a port, by its recorded process id.   node chain-dev/stop.js [--port 8545]
const { stopNode } = require("./lib/node-process");
const { option, onlyOptions } = require("./lib/args");

onlyOptions("node chain-dev/stop.js [--port 8545]", ["--port"]);

const port = Number(option("--port", "8545"));
stopNode({ port })
  .then((stopped) => console.log(stopped ? `stopped the node on port ${port}` : `no node recorded on port ${port}`))
  .catch((e) => {
    console.error(`chain stop failed: ${e.message}`);
    process.exit(1);
  });
