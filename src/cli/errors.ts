// A refusal or failure the operator can act on: printed as one line on stderr, exit status 1.
export class CliError extends Error {}
