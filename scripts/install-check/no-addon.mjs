// Run by scripts/test-install.sh with VFIO_USER_ADDON pointing nowhere: the
// codec and the session layer work, and ./unix fails with ERR_ADDON_MISSING.
import { channelPair, Client } from 'vfio-user-protocol/session';
import { connect } from 'vfio-user-protocol/unix';

if (typeof channelPair !== 'function' || typeof Client.connect !== 'function') throw new Error('session layer missing');
try {
  await connect('/nonexistent.sock');
  throw new Error('connect did not fail');
} catch (e) {
  if (e.code !== 'ERR_ADDON_MISSING') throw e;
  console.log(`no addon: ${e.code}`);
}
