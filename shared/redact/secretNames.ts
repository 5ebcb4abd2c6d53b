/**
 * Names whose value is a secret: role passwords, FDW/user-mapping options (`password`,
 * `sslpassword`), settings (`ssl_passphrase_command`, `app.api_token`, `azure_openai.subscription_key`),
 * columns (`rolpassword`), named arguments (`psw => ...`). Broad on purpose: a value hidden by
 * mistake costs a reader little, a secret shown costs a rotation.
 */
const SECRET = /pass(?:word|wd|phrase)|secret|token|credential|(?:^|[_.])(?:pwd|psw|pin)$|^(?:pwd|psw)|key$/;
/** Names that contain a secret word but hold policy, a path or a flag, never the secret itself. */
const NOT_SECRET = /(?:_required|_encryption|_file|_supports_reload|_length|_lifetime|_type|_algorithm|_method|_column|_columns|_id)$|^passwordcheck\.|(?:^|[._])(?:ssl|foreign|primary|unique|sort|partition|distribution|hash|shard|cache|monkey|turkey|hockey|donkey|jockey)key$|^key$/;

/** `name` as written (any case, possibly `schema.setting`); true when its value should be hidden. */
export function isSecretName(name: string): boolean {
  const n = name.toLowerCase();
  return SECRET.test(n) && !NOT_SECRET.test(n);
}

/**
 * Functions whose arguments (0-based) are secrets: pgcrypto keys and passwords, Azure storage
 * account keys. `set_config`-like functions take a setting name first: the value is secret when
 * the name is (see SETTING_FUNCTIONS).
 */
const SECRET_ARGUMENTS: Record<string, readonly number[]> = {
  pgp_sym_encrypt: [1],
  pgp_sym_encrypt_bytea: [1],
  pgp_sym_decrypt: [1],
  pgp_sym_decrypt_bytea: [1],
  pgp_pub_decrypt: [1, 2],
  pgp_pub_decrypt_bytea: [1, 2],
  encrypt: [1],
  decrypt: [1],
  encrypt_iv: [1],
  decrypt_iv: [1],
  hmac: [1],
  crypt: [0, 1],
  account_add: [1],
  create_aws_credentials: [0, 1, 2],
  armor: [0],
  dearmor: [0],
};

export function secretArguments(fn: string | null): readonly number[] {
  return (fn && SECRET_ARGUMENTS[fn.toLowerCase()]) || [];
}

/** `set_config(name, value, is_local)` and look-alikes: argument 1 is secret when argument 0 names a secret. */
export function isSettingFunction(fn: string | null): boolean {
  return fn !== null && /^(?:set_config|set_setting)$/i.test(fn);
}
