'use strict'
// The Minecraft version of every gitm node process comes from Python (knowledge/version.py: MC_VERSION), handed
// over as an option or in the environment variable GITM_MC_VERSION; there is no default here, so a process started
// without it stops with this error instead of quietly running another version than the knowledge base's.
const ENV = 'GITM_MC_VERSION'

function mcVersion (given) {
  const version = given ?? process.env[ENV]
  if (typeof version !== 'string' || !/^\d+\.\d+(\.\d+)?$/.test(version)) {
    throw new Error(`no Minecraft version given (got ${JSON.stringify(version)}): pass it as an option or set ${ENV} ` +
      "(gitm's Python side passes knowledge/version.py's MC_VERSION, e.g. GITM_MC_VERSION=1.21.4)")
  }
  return version
}

module.exports = { mcVersion, ENV }
