// How a driver of many clients (the ECS client system) leaves the idle ones unpolled. The key is not exported by the
// package: drivers inside the library use it, scripts see only Godot's API.

/** The key of HTTPClient's idle watching (see HTTPClient's method under this key). */
export const watchIdle: unique symbol = Symbol('tickhttp.watchIdle');
