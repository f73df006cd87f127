/** jwg bench module. */
package dev.jwg.bench;
