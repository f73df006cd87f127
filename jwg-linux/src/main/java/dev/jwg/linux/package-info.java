/** jwg linux module. */
package dev.jwg.linux;
