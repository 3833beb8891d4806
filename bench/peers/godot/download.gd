# Godot 3.2's HTTPClient as a game would drive it at full speed: poll() in a tight loop, the body read in 64 KiB
# chunks (Godot's default read_chunk_size). Run headless:
#   godot3-server --no-window --path <project> -s download.gd -- <host> <port> <tls 0|1> <path> <warm-up path>
# One keep-alive connection: the warm-up GET, then the timed GET. Prints one line `RESULT <bytes> <usec>`, or
# `ERROR <reason>`, and quits.
extends SceneTree

func fail(reason):
	print("ERROR ", reason)
	quit()

func wait_while(client, statuses):
	while client.get_status() in statuses:
		client.poll()
	return client.get_status()

func get_body(client, path):
	if client.request(HTTPClient.METHOD_GET, path, []) != OK:
		return -1
	if wait_while(client, [HTTPClient.STATUS_REQUESTING]) != HTTPClient.STATUS_BODY:
		return -1
	if client.get_response_code() != 200:
		return -1
	var n = 0
	while client.get_status() == HTTPClient.STATUS_BODY:
		client.poll()
		n += client.read_response_body_chunk().size()
	return n

func _init():
	var args = Array(OS.get_cmdline_args())
	var at = args.find("--")
	if at < 0 or args.size() < at + 6:
		return fail("usage: -- host port tls path warmup-path")
	var host = args[at + 1]
	var port = int(args[at + 2])
	var tls = args[at + 3] == "1"
	var client = HTTPClient.new()
	client.read_chunk_size = 65536
	client.blocking_mode_enabled = false
	if client.connect_to_host(host, port, tls, tls) != OK:
		return fail("connect_to_host refused")
	if wait_while(client, [HTTPClient.STATUS_RESOLVING, HTTPClient.STATUS_CONNECTING]) != HTTPClient.STATUS_CONNECTED:
		return fail("could not connect, status %d" % client.get_status())
	if get_body(client, args[at + 5]) < 0:
		return fail("warm-up request failed, status %d" % client.get_status())
	var t0 = OS.get_ticks_usec()
	var n = get_body(client, args[at + 4])
	var usec = OS.get_ticks_usec() - t0
	if n < 0:
		return fail("request failed, status %d" % client.get_status())
	print("RESULT ", n, " ", usec)
	client.close()
	quit()
