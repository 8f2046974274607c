export { TlogError, type TlogErrorCode } from './errors.js';
export { decodeBase64, encodeBase64 } from './base64.js';
export { assertHash, emptyRoot, HASH_SIZE, hashChildren, hashLeaf, rootFromLeafHashes } from './hashing.js';
export { hashAtFromLeaves, rootHash, type HashAt, type Subtree } from './subtrees.js';
export {
  consistencyProof,
  consistencyProofFromLeaves,
  consistencyProofSubtrees,
  inclusionProof,
  inclusionProofFromLeaves,
  inclusionProofSubtrees,
} from './proofs.js';
export { rootFromInclusionProof, verifyConsistency, verifyInclusion } from './proof-verification.js';
export { entryBundlePath, parseTilePath, TILE_HEIGHT, TILE_WIDTH, tileKey, tilePath } from './tile-paths.js';
export type { ParsedTilePath, TileCoord } from './tile-paths.js';
export {
  buildTile,
  hashAtFromTileNodes,
  hashAtFromTiles,
  rootFromTiles,
  TILE_INTERIOR_SIZE,
  tileForSubtree,
  tileInterior,
  tilesForSubtrees,
  tilesForTreeSize,
  tileNodes,
  tileNodesWithInterior,
  tilesFromLeafHashes,
  type ReadTile,
  type ReadTileNodes,
  type TileNodes,
} from './tiles.js';
export { decodeEntryBundle, encodeEntryBundle } from './entry-bundles.js';
export {
  COSIGNATURE_V1_SIGNATURE_TYPE,
  ED25519_SIGNATURE_TYPE,
  formatSignerKey,
  formatVerifierKey,
  generateNoteKey,
  isValidKeyName,
  noteKeyId,
  parseSignerKey,
  parseVerifierKey,
  type NoteSigner,
  type NoteVerifier,
} from './note-keys.js';
export { openNote, parseNote, signNote, type NoteSignature, type OpenedNote, type ParsedNote } from './note.js';
export { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint, type Checkpoint, type CheckpointInput } from './checkpoint.js';
export {
  cosignCheckpoint,
  cosignedMessage,
  formatCosignerKey,
  generateCosignerKey,
  openWitnessedCheckpoint,
  parseCosignatureLines,
  parseCosignerKey,
  parseCosignerSignerKey,
  verifyCosignature,
  type Cosignature,
  type WitnessedCheckpoint,
} from './cosignature.js';
