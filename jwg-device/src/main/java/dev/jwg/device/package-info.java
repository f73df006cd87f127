/** jwg device module. */
package dev.jwg.device;
