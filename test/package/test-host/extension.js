// The reference for the activation bench: an extension whose activate() does
// nothing, activated in the same extension host as ours.
module.exports.activate = function activate() {
  return {};
};
