'use strict'
// A joining player is placed once, as vanilla's PlayerList.placeNewPlayer does. flying-squid waited for the client's
// first `flying` or `look` packet (waitPlayerLogin) before sending the chunks beyond the first few and following the
// player's moves with chunks, and then re-sent the login position: a 1.21.4 client sends `position` packets, so
// until it first turned its head (a Mineflayer bot's lookAt, maybe minutes later) it got no further chunks, and when
// it did, it was pulled back to where it had joined (the server then saw the player at its login spot while the
// client stood elsewhere: a bed "too far away", blocks refused as placed in the player's cell). Here the login
// completes at the client's first packet of any movement kind (or its teleport confirmation), and the re-send of the
// login position is dropped.
const FIRST_PACKETS = ['teleport_confirm', 'position', 'position_look', 'look', 'flying']

module.exports.server = function (serv) {
  // 'newPlayer' comes once every plugin has set up the player, right before flying-squid's login() runs.
  serv.on('newPlayer', player => {
    player.waitPlayerLogin = () => new Promise(resolve => {
      const listener = () => {
        for (const name of FIRST_PACKETS) player._client.removeListener(name, listener)
        // login.js's next step is `sendSelfPosition(loginPosition)`: skip that one call
        const send = player.sendSelfPosition
        player.sendSelfPosition = (...args) => {
          player.sendSelfPosition = send
          if (args.length === 0) return send()
        }
        resolve()
      }
      for (const name of FIRST_PACKETS) player._client.on(name, listener)
    })
  })
}
