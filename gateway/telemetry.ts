// Imported first by the gateway's entry point: @apollo/gateway (>= 2.10) probes the network and
// starts an exporter unless this is set before it loads. The system runs in isolated networks and
// sends nothing anywhere but its own subgraphs and databases.
process.env.APOLLO_TELEMETRY_DISABLED = '1';
export {};
