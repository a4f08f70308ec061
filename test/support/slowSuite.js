// The real-n8n and editor suites wait for n8n to boot and run whole workflows.
jest.setTimeout(600_000);
