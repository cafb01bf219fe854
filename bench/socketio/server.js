// Socket.IO 4 room-broadcast server: the mainstream reference for `arqon bench --dialect socketio`.
const http = require("http");
const { Server } = require("socket.io");
const port = Number(process.argv[2] || process.env.PORT || 9300);
const httpServer = http.createServer();
const io = new Server(httpServer, { transports: ["websocket"], serveClient: false });
io.on("connection", (socket) => {
  socket.on("join", (room, ack) => { socket.join(room); if (typeof ack === "function") ack("ok"); });
  socket.on("msg", (room, payload) => socket.to(room).emit("msg", payload));
});
httpServer.listen(port, "127.0.0.1", () => console.log(`event=socketio_listening port=${port} pid=${process.pid}`));
