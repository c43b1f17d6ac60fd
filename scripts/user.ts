/**
 * npm run user -- create --email <e> --role <viewer|editor|admin> [--name <n>] [--password <p>]
 * npm run user -- reset-password --email <e> [--password <p>]
 * npm run user -- token --email <e> --scope <read|write> [--name <n>]
 *
 * Accounts from the command line (the first admin, a locked-out admin, tokens for integrations).
 * Without --password it asks twice with hidden input, here, before the command runs or is handed
 * to a running server; it refuses when stdin is not a terminal. See README.md, "Accounts and sign-in".
 */
import { parseArgs } from "node:util";
import { MIN_PASSWORD_LENGTH } from "../app/auth/password.server";
import { runCli } from "./cli";

const USAGE = `usage:
  npm run user -- create --email <e> --role <viewer|editor|admin> [--name <n>] [--password <p>]
  npm run user -- reset-password --email <e> [--password <p>]
  npm run user -- token --email <e> --scope <read|write> [--name <n>]
Without --password you are asked for it (hidden). A password on the command line stays in the shell history.`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    email: { type: "string" },
    role: { type: "string" },
    name: { type: "string" },
    password: { type: "string" },
    scope: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
const sub = positionals[0];
if (values.help || positionals.length !== 1 || !["create", "reset-password", "token"].includes(sub!)) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}

if (sub === "token") {
  await runCli("user-token", { email: values.email, scope: values.scope, name: values.name });
}
const password = values.password ?? (await askNewPassword());
if (sub === "create") {
  await runCli("user-create", { email: values.email, role: values.role, name: values.name, password });
} else {
  await runCli("user-reset-password", { email: values.email, password });
}

/** Asks twice with hidden input; exits 2 when stdin is not a terminal, the two differ or it is too short. */
async function askNewPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    console.error("No --password given and stdin is not a terminal, so the password cannot be asked for. Pass --password <p>, or run this in a terminal.");
    process.exit(2);
  }
  const first = await askHidden(`Password for ${values.email ?? "the account"} (at least ${MIN_PASSWORD_LENGTH} characters): `);
  if (first.length < MIN_PASSWORD_LENGTH) {
    console.error(`The password needs at least ${MIN_PASSWORD_LENGTH} characters (this one has ${first.length}).`);
    process.exit(2);
  }
  const second = await askHidden("Same password again: ");
  if (first !== second) {
    console.error("The two passwords differ; nothing was changed. Run the command again.");
    process.exit(2);
  }
  return first;
}

/** Reads one line from the terminal without echoing it (raw mode; Backspace works, Ctrl-C aborts). */
function askHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    process.stdout.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding("utf8");
    let value = "";
    const finish = () => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off("data", onData);
      process.stdout.write("\n");
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n" || char === "\u0004") {
          finish();
          resolve(value);
          return;
        }
        if (char === "\u0003") {
          finish();
          process.exit(130);
        }
        if (char === "\u007f" || char === "\b") value = value.slice(0, -1);
        else if (char >= " ") value += char;
      }
    };
    stdin.on("data", onData);
  });
}
