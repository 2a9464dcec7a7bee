import { registerCommand } from '../commandRunner';
import { KeysFeature } from '../keys/feature';
import { mintJwtCommand, MintJwtArgs } from './commands/mintJwt';
import { writeJwksCommand, WriteJwksArgs } from './commands/writeJwks';

/** Registers Mint Test JWT… and Write JWKS… (they share the keys feature's key list and passphrases). */
export function registerJwt(keys: KeysFeature): void {
  registerCommand(keys.services, 'iotAuthz.jwt.mint', (args?: MintJwtArgs) => mintJwtCommand(keys, isArgs(args) ? args : {}));
  registerCommand(keys.services, 'iotAuthz.jwt.writeJwks', (args?: WriteJwksArgs) => writeJwksCommand(keys, isArgs(args) ? args : {}));
}

/** Menus pass a Uri or a tree node as the first argument; only plain objects are argument objects. */
function isArgs<T extends object>(a: unknown): a is T {
  return typeof a === 'object' && a !== null && Object.getPrototypeOf(a) === Object.prototype;
}
